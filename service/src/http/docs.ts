/**
 * The API's human-readable docs: `/docs` renders the OpenAPI document's paths, parameters and
 * responses. Self-contained (no CDN: the machines it runs on may be offline); its script is served
 * as a file (`/docs.js`) so the content security policy can forbid inline scripts.
 */
import { newRouter } from "./router.js";

const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Emergency Station API</title>
<link rel="stylesheet" href="/docs.css"></head><body>
<h1>Emergency Station API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p><div id="paths">Loading…</div>
<script type="module" src="/docs.js"></script></body></html>`;

const DOCS_CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem}
code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}`;

const DOCS_SCRIPT = `fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  const esc=s=>String(s??'').replace(/[&<>"']/g,ch=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[ch]));
  const out=[];
  for(const [p,ops] of Object.entries(doc.paths||{})) for(const [m,op] of Object.entries(ops)){
    const params=(op.parameters||[]).map(x=>'<code>'+esc(x.in)+':'+esc(x.name)+'</code>').join(' ');
    const codes=Object.keys(op.responses||{}).join(', ');
    out.push('<section><span class="m">'+esc(m)+'</span><code>'+esc(p)+'</code><p>'+esc(op.summary||'')+'</p>'+
      (params?'<p>Parameters: '+params+'</p>':'')+'<p>Responses: '+esc(codes)+'</p></section>');
  }
  document.getElementById('paths').innerHTML=out.join('')||'No routes.';
});
`;

/** `/docs`, `/docs.css` and `/docs.js`, mounted at the root. */
export function docsRoutes() {
  return newRouter()
    .get("/docs", (c) => c.html(DOCS_PAGE))
    .get("/docs.css", (c) => c.body(DOCS_CSS, 200, { "content-type": "text/css; charset=utf-8" }))
    .get("/docs.js", (c) => c.body(DOCS_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" }));
}
