export { type ChunkOptions, chunkDocument, DEFAULT_CHUNKING } from './chunking.ts';
export { type CrossValidationResult, crossValidate, stratifiedFolds } from './cross-validation.ts';
export { type EmbedClientOptions, type EmbedResult, embedViaClassifier } from './embed-client.ts';
export { type ConfusionAt, confusionAt, rocAuc, thresholdForRecall } from './evaluation.ts';
export {
  DEVELOPER_TOOL_NEGATIVES_PATH,
  GENERAL_NEGATIVES_PATH,
  generateGeneralNegatives,
  loadGeneralNegatives,
} from './general-negatives.ts';
export {
  DEFAULT_LOGISTIC,
  fitLogistic,
  type LogisticModel,
  type LogisticOptions,
  predict,
  sigmoid,
} from './logistic.ts';
export {
  buildExamples,
  headVersionFor,
  saveHead,
  type TrainingExample,
  type TrainingInput,
  type TrainingOptions,
  type TrainingResult,
  type TrainingStage,
  trainFromStore,
  trainHead,
} from './train.ts';
