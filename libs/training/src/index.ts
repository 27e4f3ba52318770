export { type ChunkOptions, chunkDocument, DEFAULT_CHUNKING } from './chunking.ts';
export {
  type CrossValidationResult,
  crossValidate,
  groupedFolds,
  stratifiedFolds,
  usableFolds,
} from './cross-validation.ts';
export { type CurvePoint, type Curves, curves, type ScoreHistogram, scoreHistogram } from './curves.ts';
export { type EmbedClientOptions, type EmbedResult, embedViaClassifier } from './embed-client.ts';
export { type ConfusionAt, confusionAt, rocAuc, thresholdForRecall } from './evaluation.ts';
export {
  countBySource,
  DEFAULT_SOURCE_WEIGHTS,
  EXAMPLE_SOURCES,
  type ExampleSource,
  exampleWeights,
  type SourceWeights,
} from './examples.ts';
export {
  DEVELOPER_TOOL_NEGATIVES_PATH,
  GENERAL_NEGATIVES_PATH,
  GENERAL_NEGATIVES_PATHS,
  generateGeneralNegatives,
  loadGeneralNegatives,
  PROFESSIONAL_NEGATIVES_PATH,
} from './general-negatives.ts';
export {
  DEFAULT_QUESTION_CAPS,
  type GeneratedQuestion,
  parseGeneratedQuestions,
  questionKey,
  readGeneratedQuestionsFile,
  tidyQuestions,
} from './generated-questions.ts';
export {
  DEFAULT_LOGISTIC,
  fitLogistic,
  type LogisticModel,
  type LogisticOptions,
  predict,
  sigmoid,
} from './logistic.ts';
export {
  blendedScorer,
  DEFAULT_NEIGHBOURS,
  decodeVectors,
  encodeVectors,
  type HeadScorer,
  headScorer,
  type NeighbourOptions,
} from './head-scorer.ts';
export {
  DEFAULT_LEXICAL,
  decodeLexical,
  encodeLexical,
  fitLexical,
  type LexicalModel,
  type LexicalOptions,
  lexicalFeatures,
  lexicalLogit,
} from './lexical.ts';
export {
  type DocumentFormat,
  documentPlainText,
  documentSections,
  formatFromName,
  markdownSections,
  type Section,
  tableRowSentence,
} from './plain-text.ts';
export {
  DEFAULT_QUESTION_COUNTS,
  GENERATOR_SYSTEM_PROMPT,
  type GenerationResult,
  type GeneratorDocument,
  type GeneratorOptions,
  generateQuestions,
  generatorPrompt,
  parseGeneratorAnswer,
  pastedExamples,
  type QuestionCounts,
} from './question-generator.ts';
export {
  type ReplayExample,
  type ReplayOptions,
  type ReplayResult,
  replayRecent,
  replayRecords,
} from './replay.ts';
export {
  buildExamples,
  DEFAULT_TRAINING,
  documentChunks,
  type HeldOutResult,
  headVersionFor,
  heldOutSplit,
  saveHead,
  type TrainingDocument,
  type TrainingExample,
  type TrainingInput,
  type TrainingOptions,
  type TrainingReport,
  type TrainingResult,
  type TrainingStage,
  trainFromStore,
  trainHead,
  trainingInputFromStore,
} from './train.ts';
export { requestFragments } from './request-fragments.ts';
export { formatReplaySummary, formatTrainingSummary } from './summary.ts';
