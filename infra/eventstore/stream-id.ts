import { CODES, invalid } from './errors';

/**
 * A stream id is `<category>-<id>`: the category is lower-case letters and digits (no hyphen), the
 * id anything safe in a URL, a log line and a NATS header. The category is what comes before the
 * first hyphen: `project-prj-song-2016-0001` is category `project`, id `prj-song-2016-0001`.
 */
export const STREAM_ID = /^([a-z][a-z0-9]{1,31})-([a-z0-9][a-z0-9._:-]{0,159})$/;

export const streamId = (category: string, id: string): string => {
  const s = `${category}-${id}`;
  checkStreamId(s, 'streamId');
  return s;
};

export const checkStreamId = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || !STREAM_ID.test(value)) {
    throw invalid(CODES.STREAM_ID_INVALID, field, 'must look like <category>-<id>, e.g. project-prj-song-2016-0001 (category: 2-32 of a-z 0-9)', {
      value: typeof value === 'string' ? value.slice(0, 200) : typeof value,
    });
  }
  return value;
};

export const categoryOf = (streamId: string): string => streamId.slice(0, streamId.indexOf('-'));

/** Event ids are derived by callers from the workflow id and step, so a retried activity reuses them. */
export const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/;

export const checkEventId = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || !EVENT_ID.test(value)) {
    throw invalid(CODES.EVENT_ID_INVALID, field, 'must be 1-200 of A-Z a-z 0-9 . _ : / @ - (derive it from the workflow id and step)');
  }
  return value;
};
