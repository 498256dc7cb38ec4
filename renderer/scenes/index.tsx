import { lazy, Suspense } from 'react';
import type { Region } from '../../protocol';
import { AlertsTicker } from './alerts/AlertsTicker';
import { CaseDetail } from './caseDetail/CaseDetail';
import { StatusBar } from './status/StatusBar';

// The heavy scenes load as their own chunks (MapLibre, ECharts, hls.js): the wall's entry runs and
// starts its login and stream at once, while the scenes a display shows download and compile beside
// it; a scene no display of this layout shows (video, inspection) is never loaded at all.
const MapScene = lazy(() => import('./map/MapScene').then((m) => ({ default: m.MapScene })));
const KpiBoard = lazy(() => import('./kpi/KpiBoard').then((m) => ({ default: m.KpiBoard })));
const InspectionScene = lazy(() =>
  import('./inspection/InspectionScene').then((m) => ({ default: m.InspectionScene })),
);
const VideoScene = lazy(() => import('./video/VideoScene').then((m) => ({ default: m.VideoScene })));

/**
 * Each lazy scene waits in its own region: the rest of the display draws meanwhile. The
 * placeholder is marked busy so that tools (and tests) can tell a scene still loading from a drawn one.
 */
function scene(node: React.ReactNode) {
  return <Suspense fallback={<div data-testid="scene-loading" aria-busy="true" />}>{node}</Suspense>;
}

export function renderScene(region: Region) {
  switch (region.scene) {
    case 'map':
      return scene(<MapScene options={region.options} />);
    case 'kpi':
      return scene(<KpiBoard options={region.options} />);
    case 'alerts':
      return <AlertsTicker options={region.options} />;
    case 'caseDetail':
      return <CaseDetail />;
    case 'inspection':
      return scene(<InspectionScene options={region.options} />);
    case 'statusBar':
      return <StatusBar />;
    case 'video':
      return scene(<VideoScene options={region.options} />);
  }
}
