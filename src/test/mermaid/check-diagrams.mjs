// Parses Mermaid files with the real Mermaid parser; used by SequenceDiagramMermaidTest.
//
//   node check-diagrams.mjs FILE...
//
// For each file that parses, prints one JSON line describing what Mermaid understood (its
// participants and messages, entity codes such as #59; turned back into characters), so the test
// can check that no text was taken as syntax. Exits 1, naming the file and Mermaid's error, if
// any file does not parse; 2 on wrong usage or when Mermaid is not installed.
//
// No DOM is needed: mermaid.parse runs in plain Node for sequence diagrams (checked with
// mermaid 11.17, Node 20). Drawing would need one; parsing is what this checks.
import { readFile } from 'node:fs/promises';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check-diagrams.mjs FILE...');
  process.exit(2);
}

let mermaid;
try {
  ({ default: mermaid } = await import('mermaid'));
} catch (e) {
  console.error(`cannot load the mermaid package (${e.message}): run npm ci --prefix src/test/mermaid`);
  process.exit(2);
}

// Mermaid keeps entity codes as placeholders until it draws; turn them back into characters.
const NUMERIC_ENTITY = /ﬂ°°(\d+)¶ß/g;
const decode = (text) => (text ?? '').replace(NUMERIC_ENTITY, (_, code) => String.fromCodePoint(Number(code)));

const LINE_TYPES = new Map();
let failed = 0;
for (const file of files) {
  const text = await readFile(file, 'utf8');
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    if (LINE_TYPES.size === 0) {
      for (const [name, value] of Object.entries(db.LINETYPE)) LINE_TYPES.set(value, name);
    }
    const participants = [...db.getActors().entries()].map(([id, actor]) => ({ id, name: decode(actor.description) }));
    const messages = db.getMessages().map((m) => ({
      from: m.from ?? null,
      to: m.to ?? null,
      type: LINE_TYPES.get(m.type) ?? String(m.type),
      text: decode(m.message),
    }));
    console.log(JSON.stringify({ file, diagram_type: diagram.type, participants, messages }));
  } catch (e) {
    failed++;
    console.error(`MERMAID PARSE FAILED: ${file}\n${e.message ?? e}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
