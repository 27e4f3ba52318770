export { estimateTokens, generate, hashText } from './generate.ts';
export {
  defaultProfile,
  type Fault,
  faultSchema,
  type Profile,
  type ProfilePatch,
  type SimDialect,
} from './profile.ts';
export type { LoggedRequest } from './request-log.ts';
export { type Simulator, type SimulatorOptions, startSimulator } from './server.ts';
export * from './leak-requests.ts';
