/**
 * When pipelines run by themselves: {@link dev.cairn.pipeline.schedule.CronSchedule} (standard five-field cron in a
 * time zone, with Vixie cron's day and daylight-saving rules, and {@code due} for catching up after downtime by a
 * {@link dev.cairn.pipeline.schedule.CatchUp} policy) and the {@link dev.cairn.pipeline.schedule.Trigger} kinds a
 * spec declares: schedule, data change, monitoring alert, manual. Nothing here reads a clock: every time is passed
 * in, so a simulated clock drives the scheduler as a real one does.
 */
package dev.cairn.pipeline.schedule;
