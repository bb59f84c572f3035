export { appendToStream, appendToStreams, EVENTS_CHANNEL } from './append';
export { upcast } from './codec';
export { readAll, readAllRaw, readByRef, readStream, tailStall, headCursor, type ReadAllOptions, type ReadAllResult, type TailStall } from './read';
export { verify, type VerifyReport, type BrokenLink } from './verify';
export { compareCursors } from './cursor';
export { CODES, EventStoreError, ExpectedVersionConflictError } from './errors';
export { eventMetadataSchema, type EventMetadata } from './metadata';
export { STREAM_ID, streamId, categoryOf } from './stream-id';
export * from './types';
