import { lazy, Suspense } from 'react';
import type { Region } from '../../protocol';
import { AlertsTicker } from './alerts/AlertsTicker';
import { CaseDetail } from './caseDetail/CaseDetail';
import { MapScene } from './map/MapScene';
import { StatusBar } from './status/StatusBar';

// The map is the first live frame's longest path (its style, worker and tiles): it stays in the
// entry and starts first. The other heavy scenes load as their own chunks (ECharts, hls.js) beside
// the login and the stream; a scene no display of this layout shows (video, inspection) never loads.
const KpiBoard = lazy(() => import('./kpi/KpiBoard').then((m) => ({ default: m.KpiBoard })));
const InspectionScene = lazy(() =>
  import('./inspection/InspectionScene').then((m) => ({ default: m.InspectionScene })),
);
const VideoScene = lazy(() => import('./video/VideoScene').then((m) => ({ default: m.VideoScene })));

/** Each lazy scene waits in its own region: the rest of the display draws meanwhile. */
function scene(node: React.ReactNode) {
  return <Suspense fallback={null}>{node}</Suspense>;
}

export function renderScene(region: Region) {
  switch (region.scene) {
    case 'map':
      return <MapScene options={region.options} />;
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
