import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tour, type TourSummary } from '../../protocol';

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
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`tour ${file} is invalid: ${issues}`);
      }
      if (`${parsed.data.name}.json` !== file) throw new Error(`tour ${file} must be named ${parsed.data.name}.json`);
      tours.set(parsed.data.name, parsed.data);
    }
    return new TourLibrary(tours);
  }

  static of(tours: readonly Tour[]): TourLibrary {
    return new TourLibrary(new Map(tours.map((t) => [t.name, t])));
  }

  get(name: string): Tour | null {
    return this.tours.get(name) ?? null;
  }

  list(): TourSummary[] {
    return [...this.tours.values()].map((t) => ({ name: t.name, title: t.title, steps: t.steps.length }));
  }
}
