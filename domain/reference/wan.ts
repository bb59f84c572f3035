import { parseMoney, type Fen } from '../shared/money';

/**
 * The plan's 万元 figures as written ("2662921.82"), turned into fen by parseMoney's integer
 * arithmetic. Only for constants typed from the plan: a typo is a programming error, so it throws.
 */
export const wan = (digits: string): Fen => {
  const r = parseMoney(`${digits}万`);
  if (!r.ok) throw new Error(`not a 万元 figure: ${digits} (${r.reason})`);
  return r.fen;
};

export const yuan = (digits: string): Fen => {
  const r = parseMoney(`${digits}元`);
  if (!r.ok) throw new Error(`not a 元 figure: ${digits} (${r.reason})`);
  return r.fen;
};
