export * from './keyword-list.ts';
export * from './normalize.ts';
