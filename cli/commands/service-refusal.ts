import { ProcessNotFound, processNotFoundText, UpdateRefused } from '../../services/errors';
import { ruleRefusal } from '../args';

/**
 * A refusal from a workflow or a service, as the CLI prints it: the code, then English and Chinese.
 * The one way every command tells a refused Update or a process that is not there.
 */
export const asCliRefusal = (e: unknown): never => {
  if (e instanceof UpdateRefused) throw ruleRefusal(e.refusal);
  if (e instanceof ProcessNotFound) throw ruleRefusal({ code: 'CLI_NOT_FOUND', ...processNotFoundText(e) });
  throw e;
};
