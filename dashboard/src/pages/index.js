// The navigation order of the pages. Each page module exports
// { id, title, render(view, ctx) }; ctx gives it an abort signal, live topic
// subscriptions and timers that end when the page is left.
import overview from './overview.js';
import farms from './farms.js';
import chart from './chart.js';
import orders from './orders.js';
import risk from './risk.js';
import wallets from './wallets.js';
import goals from './goals.js';
import feed from './feed.js';
import backtests from './backtests.js';

export const pages = [overview, farms, chart, orders, risk, wallets, goals, feed, backtests];
export const defaultPage = overview.id;
