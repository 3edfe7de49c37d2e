package dev.cairn.monitor.alert;

/** What a transition of an alert says: it started firing, or the firing episode ended. */
public enum AlertState {
    FIRING,
    RESOLVED
}
