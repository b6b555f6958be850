import path from 'node:path';
import ts from 'typescript';
import { FUNCTIONS } from '../../lambdas/contract/functions.ts';

/**
 * The TypeScript side of the workflow's contract, read by the compiler itself rather than copied into a
 * list: each function's input and output (from its `handler`'s signature), the answers its callback tasks
 * receive, and the payload types the state machines start with. The ASL contract test checks the
 * state machines against these, so a payload key, a Choice value or a picked field that the code does not
 * know fails a test instead of a run.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PAYLOADS = path.join(ROOT, 'lambdas', 'contract', 'payloads.ts');

export interface FunctionTypes {
  input: ts.Type;
  output: ts.Type;
}

export interface ContractTypes {
  checker: ts.TypeChecker;
  /** By deployed function name (contract/functions.ts). */
  functions: Map<string, FunctionTypes>;
  /** An exported type of contract/payloads.ts by name; throws for an unknown name. */
  payload(name: string): ts.Type;
}

export function loadContractTypes(): ContractTypes {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const entries = new Map(
    FUNCTIONS.map((f) => [f.name, path.join(ROOT, 'lambdas', f.handler, 'handler.ts')] as const),
  );
  const program = ts.createProgram([PAYLOADS, ...entries.values()], config.options);
  const checker = program.getTypeChecker();

  const exportsOf = (file: string) => {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!source || !module) throw new Error(`${path.relative(ROOT, file)} is not in the program`);
    return { source, symbols: checker.getExportsOfModule(module) };
  };

  const functions = new Map<string, FunctionTypes>();
  for (const [name, file] of entries) {
    const { source, symbols } = exportsOf(file);
    const handler = symbols.find((s) => s.name === 'handler');
    if (!handler) throw new Error(`${path.relative(ROOT, file)} exports no handler`);
    const [signature] = checker.getTypeOfSymbolAtLocation(handler, source).getCallSignatures();
    const [param] = signature?.getParameters() ?? [];
    if (!signature || !param) throw new Error(`${name}: handler takes no input`);
    const returned = signature.getReturnType();
    functions.set(name, {
      input: checker.getTypeOfSymbolAtLocation(param, source),
      output: checker.getAwaitedType(returned) ?? returned,
    });
  }

  const payloads = exportsOf(PAYLOADS);
  return {
    checker,
    functions,
    payload(name) {
      const symbol = payloads.symbols.find((s) => s.name === name);
      if (!symbol) throw new Error(`contract/payloads.ts exports no type ${name}`);
      return checker.getDeclaredTypeOfSymbol(symbol);
    },
  };
}
