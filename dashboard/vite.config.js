// Vite configuration for the dashboard.
// - `npm run dev` proxies the API, the WebSocket and AG-UI to a running host
//   (TH_HOST, default http://127.0.0.1:8080) so the page and the API share an origin,
//   exactly as when the host serves the built files itself.
// - `npm run build -- --outDir <dir>` is what CMake runs (the host serves that folder).
import { defineConfig } from 'vite';

const host = process.env.TH_HOST || 'http://127.0.0.1:8080';

export default defineConfig({
	base: '/',
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		target: 'es2020',
		sourcemap: false,
		// The chart library is the one big dependency; keep it in its own chunk so the
		// pages without a chart start fast and the browser caches it across builds.
		rolldownOptions: {
			output: {
				codeSplitting: { groups: [{ name: 'charts', test: /lightweight-charts|fancy-canvas/ }] },
			},
		},
		chunkSizeWarningLimit: 400,
	},
	server: {
		proxy: {
			'/api/v1/ws': { target: host.replace(/^http/, 'ws'), ws: true },
			'/api': { target: host, changeOrigin: false },
			'/agui': { target: host, changeOrigin: false },
			'/metrics': { target: host },
		},
	},
});
