export { appendToStream, appendToStreams, EVENTS_CHANNEL } from './append';
export { upcast } from './codec';
export {
  readAll,
  readAllRaw,
  readByPositions,
  readByRef,
  readStream,
  readStreams,
  readWholeStream,
  tailStall,
  headCursor,
  type ReadAllOptions,
  type ReadAllResult,
  type TailStall,
} from './read';
export { verify, type VerifyReport, type BrokenLink } from './verify';
export { compareCursors } from './cursor';
export { CODES, EventStoreError, ExpectedVersionConflictError } from './errors';
export { eventMetadata, eventMetadataSchema, type EventMetadata, type MetadataInput } from './metadata';
export { eventIdFor } from './event-id';
export * from './command-handler';
export { keepStates, StateCache, type KeptState } from './state-cache';
export { streamLines } from './stream-line';
export { STREAM_ID, streamId, categoryOf } from './stream-id';
export * from './types';
