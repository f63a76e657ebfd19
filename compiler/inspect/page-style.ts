/** The HTML inspector's style sheet (the drawing's own styles come from svg.ts). */
export const PAGE_STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { display: grid; grid-template-rows: auto 1fr; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d2433; background: #fbfbfd; }
header { padding: 8px 18px; border-bottom: 1px solid #dde1ea; background: #fff; }
header .row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 22px; }
header .row + .row { margin-top: 8px; }
.controls { font-size: 13px; color: #3d4658; }
.controls label { display: inline-flex; align-items: center; gap: 6px; }
.controls select, .controls input { font: inherit; padding: 4px 8px; border: 1px solid #c5ccda; border-radius: 6px; background: #fff; color: #1d2433; }
.controls select { max-width: 260px; }
.controls .search { display: inline-flex; align-items: center; gap: 8px; }
.controls input[type="search"] { width: 330px; }
.controls .count-label { color: #6b7385; font-size: 12.5px; min-width: 70px; }
header h1 { margin: 0; font-size: 16px; font-weight: 600; white-space: nowrap; }
header h1 .model { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; color: #4a6fb5; }
.toggle { display: inline-flex; border: 1px solid #c5ccda; border-radius: 8px; overflow: hidden; }
.toggle button { border: 0; background: #fff; padding: 6px 14px; font: inherit; color: #3d4658; cursor: pointer; }
.toggle button + button { border-left: 1px solid #c5ccda; }
.toggle button[aria-pressed="true"] { background: #4a6fb5; color: #fff; }
.toggle button:disabled { color: #a0a6b3; cursor: not-allowed; }
.toggle .count { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 9px; background: rgba(0,0,0,0.08); font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 12.5px; color: #4d566a; }
.legend span { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.swatch { width: 16px; height: 12px; border-radius: 3px; border: 1.4px solid; display: inline-block; }
.swatch.forward { background: #eaf1fd; border-color: #4a6fb5; }
.swatch.source { background: #e7f5ea; border-color: #3f8f55; }
.swatch.constant { background: #f2f2f4; border-color: #9a9aa6; }
.swatch.backward { background: #fdeede; border-color: #c7772e; }
.swatch.group { background: #eaf1fd; border-color: #4a6fb5; border-width: 2px; box-shadow: 2px 2px 0 #fff, 3px 3px 0 #4a6fb5; }
.swatch.kernel { background: rgba(122,92,199,0.08); border: 1.4px dashed #8b71cf; }
.swatch.grad { width: 20px; height: 0; border: 0; border-top: 2px dashed #d98b43; border-radius: 0; }
#canvas .tools { position: absolute; z-index: 1; bottom: 12px; right: 12px; display: flex; align-items: center; gap: 10px; font-size: 12px; color: #6b7385; background: rgba(255,255,255,0.92); padding: 4px 4px 4px 10px; border: 1px solid #e1e4ec; border-radius: 8px; cursor: default; }
.tools button { font: inherit; padding: 4px 12px; border: 1px solid #c5ccda; border-radius: 6px; background: #fff; cursor: pointer; color: #3d4658; }
main { display: grid; grid-template-columns: 1fr 370px; min-height: 0; }
#canvas { position: relative; overflow: hidden; cursor: grab; touch-action: none; user-select: none; }
#canvas.dragging { cursor: grabbing; }
#canvas .view { position: absolute; inset: 0; }
#canvas .view[hidden] { display: none; }
#canvas .view svg { width: 100%; height: 100%; display: block; }
#canvas .node { cursor: pointer; }
#canvas .note { position: absolute; left: 14px; top: 12px; font-size: 12px; color: #6b7385; background: rgba(255,255,255,0.9); padding: 4px 9px; border-radius: 6px; border: 1px solid #e1e4ec; pointer-events: none; }
.matprop-graph .node:hover rect { stroke-width: 2.2; }
.matprop-graph .node.selected rect { stroke: #d6336c; stroke-width: 3; }
.matprop-graph.has-selection .node:not(.selected):not(.neighbor) { opacity: 0.5; }
.matprop-graph.has-selection .edge:not(.related) { opacity: 0.35; }
.matprop-graph .edge.related { stroke: #d6336c; stroke-width: 2.2; }
.matprop-graph.has-selection .grad-link:not(.related) { opacity: 0.2; }
.matprop-graph .grad-link.related { opacity: 1; stroke-width: 2.2; }
.matprop-graph.has-focus .node:not(.in-focus):not(.selected) { opacity: 0.18; }
.matprop-graph.has-focus .edge:not(.in-focus) { opacity: 0.12; }
.matprop-graph.has-focus .grad-link:not(.in-focus) { opacity: 0.08; }
.matprop-graph.has-focus .cluster { opacity: 0.35; }
.matprop-graph .node.in-focus rect:not(.stack) { stroke-width: 2.4; }
.matprop-graph .node.on-path rect:not(.stack) { stroke: #d6336c; stroke-width: 2.6; }
.matprop-graph .edge.on-path { stroke: #d6336c; stroke-width: 2.2; opacity: 1; }
.matprop-graph .grad-link.on-path { opacity: 0.9; stroke-width: 1.8; }
#overview { position: absolute; z-index: 1; left: 12px; bottom: 12px; background: rgba(251,251,253,0.94); border: 1px solid #d5d9e3; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,0.08); cursor: crosshair; display: none; }
#overview .edge, #overview .grad-link { stroke-width: 4; }
#overview .node rect { stroke-width: 3; }
#overview.has-focus .node:not(.in-focus) { opacity: 0.2; }
#overview .viewport { fill: rgba(74,111,181,0.12); stroke: #4a6fb5; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
aside ol.path { margin: 0; padding-left: 20px; }
aside ol.path li { margin: 4px 0; }
aside ol.path .grads { margin-left: 14px; padding-left: 8px; border-left: 2px solid #f3c9d7; }
aside { border-left: 1px solid #dde1ea; background: #fff; overflow-y: auto; padding: 18px 20px; }
aside .empty { color: #6b7385; }
aside h2 { margin: 0 0 2px; font: 600 18px "DejaVu Sans Mono", Menlo, Consolas, monospace; word-break: break-all; }
aside .sub { color: #6b7385; font-size: 12.5px; margin-bottom: 14px; }
aside .badge { display: inline-block; padding: 0 8px; border-radius: 9px; font-size: 12px; margin-left: 4px; }
aside .badge.forward { background: #eaf1fd; color: #35589a; }
aside .badge.backward { background: #fdeede; color: #9a5518; }
aside h3 { margin: 16px 0 6px; font-size: 11.5px; letter-spacing: 0.06em; text-transform: uppercase; color: #6b7385; }
aside table { border-collapse: collapse; width: 100%; font: 13px "DejaVu Sans Mono", Menlo, Consolas, monospace; }
aside td { padding: 3px 8px 3px 0; vertical-align: top; word-break: break-all; }
aside td:first-child { color: #6b7385; white-space: nowrap; width: 1%; }
aside .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
aside code { display: block; margin-top: 6px; padding: 7px 9px; background: #f5f6f9; border-radius: 6px; font: 12.5px "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; }
aside a { color: #3c5fb0; }
aside ul { list-style: none; margin: 0; padding: 0; }
aside li { margin: 2px 0; }
aside button.ref { border: 0; background: none; padding: 1px 0; font: 13px "DejaVu Sans Mono", Menlo, Consolas, monospace; color: #3c5fb0; cursor: pointer; text-align: left; }
aside button.ref:hover { text-decoration: underline; }
aside .muted { color: #8a91a1; }
`;
