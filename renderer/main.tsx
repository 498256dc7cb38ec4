import { createRoot } from 'react-dom/client';
import '../resources/fonts/fonts.css';
import './app/wall.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
