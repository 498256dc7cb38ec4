import type { Region } from '../../protocol';
import { AlertsTicker } from './alerts/AlertsTicker';
import { CaseDetail } from './caseDetail/CaseDetail';
import { InspectionScene } from './inspection/InspectionScene';
import { KpiBoard } from './kpi/KpiBoard';
import { MapScene } from './map/MapScene';
import { StatusBar } from './status/StatusBar';
import { VideoScene } from './video/VideoScene';

export function renderScene(region: Region) {
  switch (region.scene) {
    case 'map':
      return <MapScene options={region.options} />;
    case 'kpi':
      return <KpiBoard options={region.options} />;
    case 'alerts':
      return <AlertsTicker options={region.options} />;
    case 'caseDetail':
      return <CaseDetail />;
    case 'inspection':
      return <InspectionScene options={region.options} />;
    case 'statusBar':
      return <StatusBar />;
    case 'video':
      return <VideoScene options={region.options} />;
  }
}
