import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeZodError, Tour, type TourSummary, talkingPointErrors } from '../../protocol';

/** The tours in `resources/tours/*.json`, validated once at start: a bad file is named, not shipped. */
export class TourLibrary {
  private constructor(private readonly tours: ReadonlyMap<string, Tour>) {}

  static load(dir: string): TourLibrary {
    const tours = new Map<string, Tour>();
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      return new TourLibrary(tours);
    }
    for (const file of files.sort()) {
      const parsed = Tour.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) {
        const issues = describeZodError(parsed.error, 'tour');
        throw new Error(`tour ${file} is invalid: ${issues}`);
      }
      if (`${parsed.data.name}.json` !== file) throw new Error(`tour ${file} must be named ${parsed.data.name}.json`);
      // A talking point's figures come from the live KPIs: an unknown placeholder is a load error.
      const placeholders = talkingPointErrors(parsed.data);
      if (placeholders.length > 0) throw new Error(`tour ${file} is invalid: ${placeholders.join('; ')}`);
      tours.set(parsed.data.name, parsed.data);
    }
    return new TourLibrary(tours);
  }

  static of(tours: readonly Tour[]): TourLibrary {
    return new TourLibrary(new Map(tours.map((t) => [t.name, t])));
  }

  /**
   * The tours as this district can show them: a featured camera or case that the district does not
   * have (a tour written for another preset or seed) is dropped from its step, with a warning each,
   * so the wall never pins an empty tile or focuses nothing.
   */
  async forDistrict(has: { camera(id: string): boolean; case(id: string): Promise<boolean> }): Promise<{
    library: TourLibrary;
    warnings: string[];
  }> {
    const warnings: string[] = [];
    const tours: Tour[] = [];
    for (const tour of this.tours.values()) {
      const steps: Tour['steps'] = [];
      for (const step of tour.steps) {
        const { cameraId, caseId, ...rest } = step;
        const keepCamera = cameraId !== undefined && has.camera(cameraId);
        // Any case the district ever had, ended long ago or not: a tour may show a solved one.
        const keepCase = caseId !== undefined && (await has.case(caseId));
        if (cameraId !== undefined && !keepCamera)
          warnings.push(`tour ${tour.name}, step ${step.id}: no camera ${cameraId} here, none featured`);
        if (caseId !== undefined && !keepCase)
          warnings.push(`tour ${tour.name}, step ${step.id}: no case ${caseId} here, none featured`);
        steps.push({ ...rest, ...(keepCamera ? { cameraId } : {}), ...(keepCase ? { caseId } : {}) });
      }
      tours.push({ ...tour, steps });
    }
    return { library: TourLibrary.of(tours), warnings };
  }

  get(name: string): Tour | null {
    return this.tours.get(name) ?? null;
  }

  list(): TourSummary[] {
    return [...this.tours.values()].map((t) => ({ name: t.name, title: t.title, steps: t.steps.length }));
  }
}
