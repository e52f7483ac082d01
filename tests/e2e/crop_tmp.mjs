import { chromium } from 'playwright-core';
const [file, y, h, w] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: Number(w ?? 390), height: Number(h) } });
await p.setContent(`<body style="margin:0"><div style="height:${h}px;overflow:hidden"><img src="data:image/png;base64,${(await import('node:fs')).readFileSync(file).toString('base64')}" style="margin-top:-${y}px"></div></body>`);
await p.screenshot({ path: '/tmp/crop.png' });
await b.close();
