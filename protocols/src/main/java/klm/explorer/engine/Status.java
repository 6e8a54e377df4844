package klm.explorer.engine;

/** What a scheduled entity is doing at a state. */
public enum Status { READY, WAITING, IDLE, DONE }
