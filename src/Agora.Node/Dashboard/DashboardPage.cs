namespace Agora.Node.Dashboard;

/// <summary>The dashboard page: no external resources; it polls /api/state and redraws the charts and the metagraph table.</summary>
public static class DashboardPage
{
    public const string Html = """
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agora devnet</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;background:#fafafa;color:#222}
.charts{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem}
table{border-collapse:collapse;margin-top:1rem;background:#fff}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:right}th{background:#eee}
</style></head><body>
<h1>Agora devnet</h1>
<p id="summary">waiting for the network…</p>
<div class="charts">
<div class="card"><h3>Held-out loss per window</h3><svg id="loss-chart" width="420" height="200"></svg></div>
<div class="card"><h3>Emission per miner</h3><svg id="emission-chart" width="420" height="200"></svg></div>
<div class="card"><h3>Bytes sent per round</h3><svg id="bytes-chart" width="420" height="200"></svg></div>
</div>
<table id="metagraph"><thead><tr><th>miner</th><th>uid</th><th>train loss</th><th>rating</th><th>weight</th><th>incentive</th><th>emission</th><th>stake</th><th>bytes sent</th><th>tokens/s</th><th>status</th></tr></thead><tbody></tbody></table>
<table id="validators"><thead><tr><th>validator</th><th>uid</th><th>role</th><th>scored window</th><th>held-out loss</th><th>stake</th><th>dividends</th><th>emission</th><th>status</th></tr></thead><tbody></tbody></table>
<script>
const NS="http://www.w3.org/2000/svg";
function el(n,a){const e=document.createElementNS(NS,n);for(const k in a)e.setAttribute(k,a[k]);return e;}
function line(svg,pts){svg.replaceChildren();if(pts.length===0)return;const W=+svg.getAttribute("width"),H=+svg.getAttribute("height"),p=30;
 const xs=pts.map(q=>q[0]),ys=pts.map(q=>q[1]);const x0=Math.min(...xs),x1=Math.max(...xs,x0+1),y0=Math.min(...ys),y1=Math.max(...ys,y0+1e-9);
 const path=pts.map(q=>((q[0]-x0)/(x1-x0)*(W-2*p)+p).toFixed(1)+","+(H-p-(q[1]-y0)/(y1-y0)*(H-2*p)).toFixed(1)).join(" ");
 svg.appendChild(el("polyline",{points:path,fill:"none",stroke:"#2563eb","stroke-width":2}));
 const t=el("text",{x:p,y:14,"font-size":11});t.textContent=y1.toFixed(3)+" → "+ys[ys.length-1].toFixed(3);svg.appendChild(t);}
function bars(svg,items){svg.replaceChildren();const W=+svg.getAttribute("width"),H=+svg.getAttribute("height"),p=30;const m=Math.max(1,...items.map(i=>i[1]));
 const bw=(W-2*p)/Math.max(1,items.length);items.forEach((it,i)=>{const h=(H-2*p)*it[1]/m;
 svg.appendChild(el("rect",{x:p+i*bw+4,y:H-p-h,width:bw-8,height:h,fill:it[2]}));const t=el("text",{x:p+i*bw+4,y:H-p+14,"font-size":11});t.textContent=it[0];svg.appendChild(t);});}
function rows(id,data){const body=document.querySelector(id+" tbody");body.replaceChildren();
 for(const r of data){const tr=document.createElement("tr");for(const v of r){const td=document.createElement("td");td.textContent=v;tr.appendChild(td);}body.appendChild(tr);}}
async function poll(){try{const s=await (await fetch("/api/state")).json();
 if(s.height!==undefined){document.getElementById("summary").textContent="block "+s.height+" · window "+s.window+" · held-out loss "+(s.held_out_loss??"-");
 line(document.getElementById("loss-chart"),(s.loss||[]).map(l=>[l.window,l.loss]));
 bars(document.getElementById("emission-chart"),s.miners.map(m=>[m.name,m.stake,m.behavior==="honest"?"#16a34a":"#dc2626"]));
 bars(document.getElementById("bytes-chart"),s.miners.map(m=>[m.name,m.last_payload_bytes,"#9333ea"]));
 rows("#metagraph",s.miners.map(m=>[m.name,m.uid??"-",m.train_loss?.toFixed(4)??"-",m.rating?.toFixed(2)??"-",m.weight,m.incentive,m.emission,m.stake,m.bytes_uploaded,m.tokens_per_second,m.status]));
 rows("#validators",(s.validators||[]).map(v=>[v.name,v.uid??"-",v.lead?"lead":"-",v.scored_window??"-",v.held_out_loss?.toFixed(4)??"-",v.stake,v.dividends,v.emission,v.status]));}
}catch(e){document.getElementById("summary").textContent="dashboard: "+e;}}
poll();setInterval(poll,2000);
</script></body></html>
""";
}
