/**
 * 动态调整: a household leaves the register for one of these reasons, with a notice and the county's
 * decision (natural decrease by death or moving away; 错评清退, wrongly identified, is cleared out).
 * A member leaves a household that stays, for the same reasons or by marriage.
 */
export const REMOVAL_REASONS = ['deceased', 'moved-away', 'wrongly-identified'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

export const MEMBER_REMOVAL_REASONS = ['deceased', 'moved-away', 'married-out', 'wrongly-registered'] as const;
export type MemberRemovalReason = (typeof MEMBER_REMOVAL_REASONS)[number];

export const REMOVAL_REASON_LABELS: Readonly<Record<RemovalReason | MemberRemovalReason, { zh: string; en: string }>> = {
  deceased: { zh: '死亡（自然减少）', en: 'died (natural decrease)' },
  'moved-away': { zh: '迁出（自然减少）', en: 'moved away (natural decrease)' },
  'wrongly-identified': { zh: '错评清退', en: 'wrongly identified, cleared out' },
  'married-out': { zh: '婚嫁迁出', en: 'married out' },
  'wrongly-registered': { zh: '错录清退', en: 'wrongly registered, cleared out' },
};
