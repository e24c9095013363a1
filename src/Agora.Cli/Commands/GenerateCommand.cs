using System.CommandLine;
using System.Text;
using Agora.Data;
using Agora.Model;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>`agora generate`: continue a prompt with a trained checkpoint (its tokenizer.json decodes the output).</summary>
public static class GenerateCommand
{
    public static Command Create(IAnsiConsole? console = null, TextWriter? stdout = null)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint directory written by `agora train`.", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "Maximum number of new tokens.", DefaultValueFactory = _ => 100 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens; 0 = all.", DefaultValueFactory = _ => 40 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 0UL };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the one in the checkpoint directory)." };
        var threads = ModelCommands.ThreadsOption();
        var command = new Command("generate", "Generate text from a checkpoint.");
        foreach (var option in new Option[] { checkpoint, prompt, tokens, temperature, topK, seed, tokenizer, threads })
        {
            command.Add(option);
        }

        command.SetAction(pr => ModelCommands.Run(console ?? AnsiConsole.Console, () =>
        {
            var options = new SamplingOptions(pr.GetValue(temperature), pr.GetValue(topK), pr.GetValue(seed));
            Run(pr.GetValue(checkpoint)!, pr.GetValue(tokenizer), pr.GetValue(prompt)!, pr.GetValue(tokens), options, pr.GetValue(threads), stdout ?? Console.Out);
        }));
        return command;
    }

    /// <summary>Writes the prompt and then each decoded piece of the continuation as it is generated.</summary>
    public static void Run(string checkpointDir, string? tokenizerPath, string prompt, int maxTokens, SamplingOptions options, int threads, TextWriter output)
    {
        var tok = Tokenizer.Load(tokenizerPath ?? Path.Combine(checkpointDir, DataPreparer.TokenizerFileName));
        var model = Checkpoint.Load(checkpointDir);
        model.Threads = ModelCommands.CheckThreads(threads);
        if (tok.VocabSize > model.Config.VocabSize)
        {
            throw new InvalidDataException($"The tokenizer has {tok.VocabSize} ids but the model only {model.Config.VocabSize}; use the tokenizer the checkpoint was trained with.");
        }

        // Training data puts <|eot|> before every document, so the prompt starts like a document.
        var context = new List<int> { tok.EotId };
        context.AddRange(tok.Encode(prompt));
        output.Write(prompt);
        var generated = new List<int>();
        string printed = string.Empty;
        TextGenerator.Generate(model, context, maxTokens, options, tok.EotId, token =>
        {
            if (token == tok.EotId)
            {
                return;
            }

            generated.Add(token);
            // Decode everything so far and print only complete characters: a token can end inside a UTF-8 sequence.
            string text = Encoding.UTF8.GetString(tok.DecodeBytes(generated.ToArray()));
            int complete = text.EndsWith('\uFFFD') ? text.TrimEnd('\uFFFD').Length : text.Length;
            if (complete > printed.Length && text.StartsWith(printed, StringComparison.Ordinal))
            {
                output.Write(text[printed.Length..complete]);
                printed = text[..complete];
            }
        });
        string final = tok.Decode(generated.ToArray());
        if (final.Length > printed.Length)
        {
            output.Write(final[printed.Length..]);
        }

        output.WriteLine();
        output.Flush();
    }
}
