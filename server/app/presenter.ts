import type { CaseCore } from '../cases/core';
import { PresenterRelay } from '../presenter/relay';
import { TourLibrary } from '../presenter/tours';
import type { Storage } from '../storage/store';
import type { StreamHub } from '../transport/stream';
import { TOURS_DIR } from './options';

export interface Presenter {
  tours: TourLibrary;
  relay: PresenterRelay;
  /** The hub exists only once the HTTP server does: the relay reaches it through this late binding. */
  bindHub(hub: StreamHub): void;
}

/** The tours checked against the district (warnings printed) and the relay that runs a presentation. */
export async function startPresenter(core: CaseCore, storage: Storage, toursDir = TOURS_DIR): Promise<Presenter> {
  let hubRef: StreamHub | null = null;
  const loaded = await TourLibrary.load(toursDir).forDistrict({
    camera: (id) => core.cameras.has(id),
    case: async (id) => core.cases.has(id) || (await storage.getCase(id)) !== null,
  });
  for (const w of loaded.warnings) console.warn(`GridWall: ${w}`);
  const relay = new PresenterRelay(loaded.library, {
    broadcast: (p) => hubRef?.broadcastPresentation(p),
    maskWalls: (on) => hubRef?.setWallMasking(on),
    persist: (p) => storage.setMeta('presentation', JSON.stringify(p)),
  });
  return {
    tours: loaded.library,
    relay,
    bindHub: (hub) => {
      hubRef = hub;
    },
  };
}
