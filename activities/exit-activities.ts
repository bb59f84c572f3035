import { Context } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import { makeDecide as makeVillageDecide, villageDecider, type VillageCommand, type VillageRules } from '../domain/village';
import { countyDecider, makeDecide as makeCountyDecide, type CountyCommand, type CountyRules } from '../domain/county';
import { assessExit } from '../domain/household/assessment';
import { countPoorRemaining } from '../domain/village/incidence';
import { mulberry32, seedFromString } from '../domain/synthetic/prng';
import type { Actor } from '../domain/shared/actor';
import type { DomainError } from '../domain/shared/errors';
import type { CountyId } from '../domain/reference/counties';
import type { Database } from '../infra/database';
import { eventMetadata, handleCommand, streamId } from '../infra/eventstore';
import type { Decider } from '../domain/shared/decider';
import type { DomainEvent } from '../domain/shared/events';
import { asFailure, stepEventId, workflowOrigin } from './temporal-context';
import { householdsOfCounty, householdsOfVillage } from './household-activities';
import { loadHouseholds } from '../infra/registry/household-batch';
import { storeDigestAt } from '../infra/eventstore/store-digest';
import type { SampleFrames } from '../domain/county';
import { checkClaim, unprovedClaim, type ActorAssertions, type ActorClaim } from '../infra/tokens/actor-assertion';

export interface ExitActivityDeps {
  readonly db: Kysely<Database>;
  /** Checks who acts before anything is recorded. */
  readonly actors: ActorAssertions;
}

type Cmd<C> = C extends { type: infer T; data: infer D } ? { type: T; data: D } : never;

export interface StreamCommandInput<C> extends ActorClaim {
  readonly command: Cmd<C>;
  readonly actor: Actor;
  readonly now: string;
  readonly step: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly countyId: CountyId;
}

export interface StreamCommandResult {
  readonly ok: boolean;
  readonly status: string;
  readonly error?: DomainError;
  /** When the step left the stream blocked (a county's failed check): the reasons, as the state keeps them. */
  readonly blockedBy?: readonly { readonly code: string; readonly zh: string; readonly en: string }[];
  readonly positions: readonly number[];
}

/**
 * One exit (or identification) step on a village's, county's or round's stream through the command handler. A retry of a step
 * already appended finds its first event id stored and answers with the current state (and, since
 * the handler returns them, the positions and the reasons a check blocked the county, as the first
 * attempt did).
 */
export const decideOnStream = async <C, E extends DomainEvent, S>(
  db: Kysely<Database>,
  actors: ActorAssertions,
  stream: string,
  decider: Decider<C, E, S>,
  input: StreamCommandInput<C>,
): Promise<StreamCommandResult> => {
  // Who acts is proved before anything is decided: an unproved actor is refused and nothing is appended.
  const unproved = await unprovedClaim(actors, input);
  if (unproved) return { ok: false, status: 'unchanged', error: unproved, positions: [] };
  const o = workflowOrigin();
  const command = { ...input.command, meta: { actor: input.actor, now: input.now } } as C;
  const r = await handleCommand(db, stream, decider, command, {
    eventId: stepEventId(o, input.step),
    metadata: () => eventMetadata({ actor: input.actor, countyId: input.countyId, correlationId: input.correlationId, causationId: input.causationId, temporal: o, at: input.now }),
  });
  const status = (r.state as { status?: string; phase?: string }).status ?? (r.state as { phase?: string }).phase ?? '';
  if (!r.ok) return { ok: false, status, error: r.error, positions: [] };
  if (!r.duplicate) Context.current().log.info('exit step appended', { workflowId: o.workflowId, streamId: stream, correlationId: input.correlationId, step: input.step });
  const blockedBy = (r.state as { blockedBy?: StreamCommandResult['blockedBy'] }).blockedBy;
  return { ok: true, status, ...(blockedBy ? { blockedBy } : {}), positions: r.appended.map((e) => e.position) };
};

/** The provincial check's third-party sample: who was drawn and what the re-visit found. */
export interface SampleInput extends ActorClaim {
  readonly countyId: CountyId;
  readonly checkId: string;
  readonly seed: string;
  readonly exitedToSample: number;
  readonly nonRegisteredToSample: number;
  /** The county's rural households not on the register, numbered 1..n for the draw. */
  readonly nonRegisteredHouseholds: number;
  /** Sample ids of non-registered households the evaluator found poor (漏评). */
  readonly foundPoor: readonly string[];
  readonly year: number;
  /** The county's rural population (农业户籍人口): the non-registered people are those the register does not hold. */
  readonly ruralPopulation?: number;
}

export interface SampleResult {
  readonly wronglyExited: { readonly found: number; readonly checked: number };
  readonly missedPoor: { readonly found: number; readonly checked: number };
  readonly drawn: readonly string[];
  /** The populations drawn from and carried back to (the 综合贫困发生率's parts); absent in results recorded before they were. */
  readonly frames?: SampleFrames;
}

/** k distinct indexes of n by a seeded partial Fisher-Yates: the same seed draws the same sample. */
export const drawIndexes = (seed: string, n: number, k: number): number[] => {
  const rng = mulberry32(seedFromString(seed));
  const idx = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = rng.int(i, n - 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m);
};

export const createExitActivities = ({ db, actors }: ExitActivityDeps) => ({
  async applyVillageCommand(input: StreamCommandInput<VillageCommand> & { rules: VillageRules }): Promise<StreamCommandResult> {
    return decideOnStream(db, actors, streamId('village', input.command.data.villageId), { ...villageDecider, decide: makeVillageDecide(input.rules) }, input);
  },

  async applyCountyCommand(input: StreamCommandInput<CountyCommand> & { rules: CountyRules }): Promise<StreamCommandResult> {
    return decideOnStream(db, actors, streamId('county', input.command.data.countyId), { ...countyDecider, decide: makeCountyDecide(input.rules) }, input);
  },

  async countVillagePoorPeople(input: { villageId: string }): Promise<{ poorRemaining: number; households: number }> {
    const ids = await householdsOfVillage(db, input.villageId);
    const states = [...(await loadHouseholds(db, ids)).values()].map((l) => l.state);
    return { poorRemaining: countPoorRemaining(states), households: ids.length };
  },

  /** The store digest at its head, when a county applies: the provincial check's sample seed derives from it (domain/county/sample.ts). */
  async storeDigestHead(): Promise<{ position: number; digest: string }> {
    const { rows } = await sql<{ p: string | null }>`SELECT max(position)::text AS p FROM events`.execute(db);
    const d = await storeDigestAt(db, Number(rows[0]?.p ?? 0));
    return { position: d.position, digest: d.digest };
  },

  /** The county's figures from its households' and villages' current states. */
  async tallyCounty(input: { countyId: CountyId }): Promise<{ poorRemaining: number; poorVillagesExited: number; registeredPeople: number }> {
    const ids = await householdsOfCounty(db, input.countyId);
    let poorRemaining = 0;
    let registeredPeople = 0;
    for (let i = 0; i < ids.length; i += 2000) {
      const states = [...(await loadHouseholds(db, ids.slice(i, i + 2000))).values()].map((l) => l.state);
      poorRemaining += countPoorRemaining(states);
      // A household removed from the register (动态调整) is no longer part of the registered population.
      for (const s of states) if (s.status !== 'unregistered' && s.status !== 'removed') registeredPeople += s.file.memberCount;
    }
    const { rows } = await sql<{ n: string }>`
      SELECT count(DISTINCT e.stream_id) AS n FROM refs r JOIN events e ON e.position = r.position
       WHERE r.kind = 'county' AND r.ref_id = ${input.countyId} AND e.type = 'VillageExited'`.execute(db);
    return { poorRemaining, poorVillagesExited: Number(rows[0]?.n ?? 0), registeredPeople };
  },

  /**
   * Draws the sample (seeded: drawn again from the recorded seed, the same households come out),
   * re-visits each exited household against its latest recorded facts, and records every finding.
   */
  async drawAndRecordSample(input: SampleInput): Promise<SampleResult> {
    // The province's checker is proved before any finding is recorded.
    await checkClaim(actors, input).catch((e: unknown) => Promise.reject(asFailure(e)));
    const all = await householdsOfCounty(db, input.countyId);
    const loaded = await loadHouseholds(db, all);
    const exited = all.filter((id) => {
      const s = loaded.get(id)!.state;
      return s.status === 'exited' || s.status === 'flagged' || s.status === 'return-visited' || s.status === 'return-notice';
    });
    const rows: { sample_id: string; kind: string; household_id: string | null; finding: string; detail: string }[] = [];
    let wrong = 0;
    for (const i of drawIndexes(`${input.seed}:exited`, exited.length, input.exitedToSample)) {
      const id = exited[i]!;
      const s = loaded.get(id)!.state;
      if (s.status === 'unregistered') continue;
      const a = assessExit({
        year: s.file.income.year,
        perCapitaIncome: s.file.income.perCapita,
        stableIncomeSource: s.file.income.stableIncomeSource,
        guarantees: s.file.guarantees,
      });
      const ok = a?.eligible ?? false;
      if (!ok) wrong++;
      rows.push({ sample_id: `x-${id}`, kind: 'exited', household_id: id, finding: ok ? 'meets-standard' : 'wrongly-exited', detail: a?.explanation.en ?? 'no line for the year' });
    }
    let missed = 0;
    for (const i of drawIndexes(`${input.seed}:non-registered`, input.nonRegisteredHouseholds, input.nonRegisteredToSample)) {
      const sampleId = `nr-${input.countyId}-${i + 1}`;
      const poor = input.foundPoor.includes(sampleId);
      if (poor) missed++;
      rows.push({
        sample_id: sampleId,
        kind: 'non-registered',
        household_id: null,
        finding: poor ? 'missed-poor' : 'not-poor',
        detail: poor ? 'found below the line on re-visit' : 'not poor on re-visit',
      });
    }
    if (rows.length > 0) {
      await db
        .insertInto('county_check_findings')
        .values(rows.map((r) => ({ ...r, county_id: input.countyId, check_id: input.checkId, seed: input.seed })))
        .onConflict((oc) => oc.columns(['check_id', 'sample_id']).doNothing())
        .execute();
    }
    const checkedExited = rows.filter((r) => r.kind === 'exited').length;
    const checkedNr = rows.length - checkedExited;
    let registeredPeople = 0;
    let exitedPeople = 0;
    for (const id of all) {
      const s = loaded.get(id)!.state;
      if (s.status !== 'unregistered' && s.status !== 'removed') registeredPeople += s.file.memberCount;
    }
    for (const id of exited) {
      const s = loaded.get(id)!.state;
      if (s.status !== 'unregistered') exitedPeople += s.file.memberCount;
    }
    const frames: SampleFrames = {
      poorRemaining: countPoorRemaining([...loaded.values()].map((l) => l.state)),
      exitedHouseholds: exited.length,
      exitedPeople,
      nonRegisteredHouseholds: input.nonRegisteredHouseholds,
      nonRegisteredPeople: Math.max(0, (input.ruralPopulation ?? registeredPeople) - registeredPeople),
    };
    return { wronglyExited: { found: wrong, checked: checkedExited }, missedPoor: { found: missed, checked: checkedNr }, drawn: rows.map((r) => r.sample_id), frames };
  },
});
