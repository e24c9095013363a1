"""A LLaMA-style decoder in plain PyTorch, the reference Agora's C# model is tested against.

Config fields are those of a Hugging Face LlamaConfig; parameter names are HF's, Linear weights are
[out, in] with no biases, and the output head is tied to model.embed_tokens.weight.
    RMSNorm:   y = x * rsqrt(mean(x^2) + eps) * w, computed in float32
    RoPE:      HF "rotate half": inv_freq_i = theta^(-2i/D), i < D/2; angle = pos * inv_freq, duplicated to D;
               x' = x * cos + rotate_half(x) * sin with rotate_half([a, b]) = [-b, a]
    attention: grouped-query (key/value head j serves query heads j*r .. j*r + r - 1, r = H / H_kv),
               causal, scores scaled by 1/sqrt(D)
    MLP:       down(silu(gate(x)) * up(x))
    block:     h = x + attn(norm1(x)); out = h + mlp(norm2(h))
    loss:      mean cross-entropy of logits[:, t] against tokens[:, t + 1] over all B*T positions
"""

import json
import math

import torch
import torch.nn.functional as F
from torch import nn


class Config:
    def __init__(self, d):
        self.hidden_size = int(d["hidden_size"])
        self.intermediate_size = int(d["intermediate_size"])
        self.num_hidden_layers = int(d["num_hidden_layers"])
        self.num_attention_heads = int(d["num_attention_heads"])
        self.num_key_value_heads = int(d.get("num_key_value_heads", self.num_attention_heads))
        self.vocab_size = int(d["vocab_size"])
        self.max_position_embeddings = int(d["max_position_embeddings"])
        self.rope_theta = float(d.get("rope_theta", 10000.0))
        self.rms_norm_eps = float(d.get("rms_norm_eps", 1e-5))
        self.tie_word_embeddings = bool(d.get("tie_word_embeddings", True))
        if not self.tie_word_embeddings:
            raise ValueError("Agora ties the output head to the embedding; tie_word_embeddings must be true")
        if self.hidden_size % self.num_attention_heads or self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("hidden_size must divide by num_attention_heads, and heads by num_key_value_heads")

    @staticmethod
    def load(path):
        with open(path) as f:
            return Config(json.load(f))

    def to_json(self):
        return {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "hidden_act": "silu",
            "hidden_size": self.hidden_size,
            "intermediate_size": self.intermediate_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "vocab_size": self.vocab_size,
            "max_position_embeddings": self.max_position_embeddings,
            "rope_theta": self.rope_theta,
            "rms_norm_eps": self.rms_norm_eps,
            "tie_word_embeddings": True,
            "attention_bias": False,
            "mlp_bias": False,
            "torch_dtype": "float32",
        }


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        x32 = x.float()
        y = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return (y * self.weight.float()).to(x.dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_cos_sin(seq_len, head_dim, theta, dtype=torch.float32):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    angles = torch.outer(torch.arange(seq_len, dtype=torch.float32), inv_freq)  # (T, D/2)
    emb = torch.cat((angles, angles), dim=-1)  # (T, D)
    return emb.cos().to(dtype), emb.sin().to(dtype)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.hkv = cfg.num_key_value_heads
        self.d = cfg.hidden_size // cfg.num_attention_heads
        self.theta = cfg.rope_theta
        c = cfg.hidden_size
        self.q_proj = nn.Linear(c, self.h * self.d, bias=False)
        self.k_proj = nn.Linear(c, self.hkv * self.d, bias=False)
        self.v_proj = nn.Linear(c, self.hkv * self.d, bias=False)
        self.o_proj = nn.Linear(self.h * self.d, c, bias=False)

    def forward(self, x):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.d).transpose(1, 2)  # (B, H, T, D)
        k = self.k_proj(x).view(b, t, self.hkv, self.d).transpose(1, 2)  # (B, Hkv, T, D)
        v = self.v_proj(x).view(b, t, self.hkv, self.d).transpose(1, 2)  # (B, Hkv, T, D)
        cos, sin = rope_cos_sin(t, self.d, self.theta, x.dtype)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        r = self.h // self.hkv
        k = k.repeat_interleave(r, dim=1)  # (B, H, T, D)
        v = v.repeat_interleave(r, dim=1)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(self.d)  # (B, H, T, T)
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(mask, float("-inf"))
        y = F.softmax(scores, dim=-1) @ v  # (B, H, T, D)
        return self.o_proj(y.transpose(1, 2).reshape(b, t, self.h * self.d))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, f = cfg.hidden_size, cfg.intermediate_size
        self.gate_proj = nn.Linear(c, f, bias=False)
        self.up_proj = nn.Linear(c, f, bias=False)
        self.down_proj = nn.Linear(f, c, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x):
        h = x + self.self_attn(self.input_layernorm(x))
        return h + self.mlp(self.post_attention_layernorm(h))


class Decoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class LlamaForCausalLM(nn.Module):
    """Parameter names match HF: model.embed_tokens.weight, model.layers.{i}...., model.norm.weight."""

    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.model = Decoder(cfg)

    def forward(self, idx):
        """idx: (B, T) token ids -> logits (B, T, V)."""
        if idx.shape[1] > self.config.max_position_embeddings:
            raise ValueError(f"sequence length {idx.shape[1]} exceeds max_position_embeddings")
        x = self.model.embed_tokens(idx)  # (B, T, C)
        for layer in self.model.layers:
            x = layer(x)
        x = self.model.norm(x)
        return x @ self.model.embed_tokens.weight.t()  # (B, T, V), tied head

    def loss(self, tokens):
        """tokens: (B, T + 1); mean cross-entropy predicting tokens[:, 1:] from tokens[:, :-1]."""
        logits = self(tokens[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1))
        return loss, logits

    def load_tensors(self, tensors):
        own = dict(self.named_parameters())
        missing = sorted(set(own) - set(tensors))
        extra = sorted(set(tensors) - set(own) - {"lm_head.weight"})
        if missing or extra:
            raise ValueError(f"checkpoint mismatch: missing {missing}, unexpected {extra}")
        with torch.no_grad():
            for name, p in own.items():
                if tuple(tensors[name].shape) != tuple(p.shape):
                    raise ValueError(f"{name}: shape {tuple(tensors[name].shape)}, expected {tuple(p.shape)}")
                p.copy_(tensors[name])
