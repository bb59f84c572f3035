/** The floor's one activity (bench/floor/workflow.ts): does nothing, so only the round trip is measured. */
export interface FloorActivities {
  noop(n: number): Promise<number>;
}

export const floorActivities: FloorActivities = {
  noop: (n) => Promise.resolve(n),
};
