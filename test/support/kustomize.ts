import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** `kubectl kustomize <dir>`, parsed: exactly what `kubectl apply -k` (and skaffold's kustomize deployer) applies. */
export async function kustomize<Resource>(dir: string): Promise<Resource[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((document) => document.toJS() as Resource);
}
