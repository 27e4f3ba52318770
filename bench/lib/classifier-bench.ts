/**
 * The classifier benchmark is owned by the classifier (bench/classifier.ts: latency by prompt length,
 * batched throughput, raw ONNX Runtime time for the same work). The harness runs it as it is and puts
 * its Markdown output in the report, so there is one classifier benchmark, not two.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './results.ts';

export async function runClassifierBench(root: string, quick: boolean): Promise<BenchResults['classifier']> {
  const script = join(root, 'bench/classifier.ts');
  if (!existsSync(script)) return { status: 'unavailable', reason: 'bench/classifier.ts has not landed' };
  if (!existsSync(join(root, 'models/all-MiniLM-L6-v2/config.json'))) {
    return { status: 'unavailable', reason: 'no MiniLM model (run bun run model:fetch)' };
  }
  console.log('[bench] classifier benchmark (bench/classifier.ts)');
  const iterations = quick ? 40 : 200;
  const child = Bun.spawn(['bun', script, '--iterations', String(iterations)], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [text, errors] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  const code = await child.exited;
  // Its output is a fixed-width table; shown as it printed it.
  const markdown = `Output of \`bun bench/classifier.ts --iterations ${iterations}\`:\n\n\`\`\`text\n${text.trim()}\n\`\`\`\n`;
  if (code !== 0) {
    return {
      status: 'failed',
      reason: `bench/classifier.ts exited with ${code}: ${errors.slice(-500)}`,
      markdown,
    };
  }
  return { status: 'measured', markdown };
}
