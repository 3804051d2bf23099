/**
 * The `ordersync serve` daemon: croner jobs per pipeline, runs under the cross-process pipeline
 * lock, connections opened once, the health and metrics server, notifications, retention and
 * graceful shutdown. The CLI's `serve` command wires it; nothing else in src/ imports it.
 */
export { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler.ts';
export { createConnectionPool, type ConnectMonday } from './connection-pool.ts';
export { DEFAULT_HEALTH_PORT, isLoopbackHost, startHealthServer, type HealthServer } from './health-server.ts';
