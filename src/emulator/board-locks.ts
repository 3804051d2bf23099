/** Boards with a write in flight: a second concurrent write to one board gets HTTP 423. */

/** The set of boards currently being written. */
export class BoardLocks {
  private readonly held = new Set<string>();

  /** Takes all boards, or none: returns the board already held, or null on success. */
  acquire(boardIds: string[]): string | null {
    const busy = boardIds.find((id) => this.held.has(id));
    if (busy !== undefined) return busy;
    for (const id of boardIds) this.held.add(id);
    return null;
  }

  /** Releases boards taken by `acquire`. */
  release(boardIds: string[]): void {
    for (const id of boardIds) this.held.delete(id);
  }
}
