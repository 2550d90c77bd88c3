// Tokenise files with the htx-rules TextMate grammar, the way VS Code does
// (vscode-textmate with the Oniguruma regular-expression engine), and print
// the tokens as JSON: for each file, for each line, [start, end, scopes].
//
//   node scripts/tokenize.js GRAMMAR.json FILE...
//
// Used by tests/test_editor_grammar.py; needs `npm ci` in editors/vscode.
"use strict";

const fs = require("fs");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

async function main(grammarPath, files) {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf-8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.htx-rules");
  const result = {};
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf-8").split("\n");
    let state = vsctm.INITIAL;
    result[file] = lines.map((line) => {
      const tokenized = grammar.tokenizeLine(line, state);
      state = tokenized.ruleStack;
      return tokenized.tokens.map((t) => [t.startIndex, Math.min(t.endIndex, line.length), t.scopes]);
    });
  }
  process.stdout.write(JSON.stringify(result));
}

main(process.argv[2], process.argv.slice(3)).catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
