/**
 * Names as people say them: zh (and en) for every id a person reads — counties, roles, stages,
 * categories, event types, steps, checklist items, fund sources. Ids stay what machines keep;
 * these are for tables, CSV headers' cells, messages and search attributes.
 */
export * from './name';
export * from './counties';
export * from './roles';
export * from './project';
export * from './funds';
export * from './exits';
export * from './identification';
export * from './anomalies';
export * from './events';
export * from './actions';
export * from './fields';
export * from './issue-text';
export * from './policies';
export * from './benefit';
