/** Corrupt or foreign data found on the store: reported with its path, then skipped or refused. */
export interface StoreProblem {
  path: string;
  line?: number;
  message: string;
}

export type ProblemSink = (problem: StoreProblem) => void;

export const logProblem: ProblemSink = (p) => {
  console.error(JSON.stringify({ level: 'warn', msg: 'store: skipped bad data', ...p }));
};

export class StoreDataError extends Error {
  constructor(readonly problem: StoreProblem) {
    super(`${problem.path}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
    this.name = 'StoreDataError';
  }
}
