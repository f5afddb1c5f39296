// The TypeScript compiler as a V8 start-up snapshot, built once with the image (node --build-snapshot, see the
// Dockerfile). Loading tsc and parsing and binding the standard library's and Node's declarations (some 54,000
// lines) takes seconds on a container's CPU share; the snapshot holds them done, so a run only reads the student's
// files, checks and emits. Run as `node --snapshot-blob tsc.blob ENTRY ROOTDIR OUTDIR`: it prints tsc's diagnostics
// (`file(line,col): error TS…`) on stderr, as a compiler does, and exits 2 on an error, as tsc does.
'use strict';
const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

// A snapshot's script may require only Node's own modules: Debian's tsc is read and evaluated as a CommonJS module.
const TS = '/usr/share/nodejs/typescript/lib/typescript.js';
const module_ = { exports: {} };
vm.runInThisContext(`(function (module, exports, require, __filename, __dirname) {${fs.readFileSync(TS, 'utf8')}\n})`, { filename: TS })(
  module_, module_.exports, require, TS, path.dirname(TS));
const ts = module_.exports;

// tsc's options for every run; the cached declarations were parsed and bound under them.
const options = {
  target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, lib: ['lib.es2020.d.ts'], strict: true,
  esModuleInterop: true, skipLibCheck: true, typeRoots: ['/usr/share/nodejs/@types'], types: ['node'],
};
// One program of the options' shape parses and binds every declaration file a program reads, to be kept.
const probe = '/tmp/coderunner-snapshot-probe.ts';
fs.writeFileSync(probe, 'import * as readline from "readline";\nconsole.log(readline !== undefined);\n');
const warm = ts.createProgram([probe], options);
ts.getPreEmitDiagnostics(warm);
const cached = new Map(warm.getSourceFiles().filter(f => f.fileName !== probe).map(f => [f.fileName, f]));
fs.unlinkSync(probe);

v8.startupSnapshot.setDeserializeMainFunction(() => {
  process.chdir('.'); // Node keeps the snapshot's working directory until a chdir
  const [entry, rootDir, outDir] = process.argv.slice(-3).map(p => path.resolve(p));
  const compilerOptions = { ...options, rootDir, outDir };
  const host = ts.createCompilerHost(compilerOptions);
  host.getCurrentDirectory = () => process.cwd();
  const read = host.getSourceFile;
  // The cached files are reused as they are, as tsserver reuses unchanged files from one program to the next.
  host.getSourceFile = (fileName, languageVersion, onError, fresh) =>
    cached.get(fileName) ?? read.call(host, fileName, languageVersion, onError, fresh);
  const program = ts.createProgram([entry], compilerOptions, host);
  const emitted = program.emit();
  const diagnostics = ts.sortAndDeduplicateDiagnostics([...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]);
  process.stderr.write(ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: f => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n',
  }));
  process.exitCode = diagnostics.some(d => d.category === ts.DiagnosticCategory.Error) ? 2 : 0;
});
