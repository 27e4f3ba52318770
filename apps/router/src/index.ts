export { createRouter, type Router, serveRouter } from './router.ts';
