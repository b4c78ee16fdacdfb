/** A tip as the citizen sees it, in the feed and pushed live. */
export interface TipView {
  id: string;
  title: string;
  body: string;
  priority: 'normal' | 'scam_alert';
  lessonId?: string;
  publishedAt: string;
  opened?: boolean;
}

interface Socket {
  readyState: number;
  OPEN: number;
  send(data: string): void;
}

/**
 * The mini apps connected to this server process, by learner: a broadcast is pushed to those that are open right
 * now (the rest get it through Zalo and in their feed). Other processes' broadcasts reach it through the outbox's
 * LISTEN/NOTIFY channel.
 */
export class LiveHub {
  private readonly byLearner = new Map<string, Set<Socket>>();

  attach(learnerId: string, socket: Socket): () => void {
    let set = this.byLearner.get(learnerId);
    if (!set) this.byLearner.set(learnerId, (set = new Set()));
    set.add(socket);
    return () => {
      set.delete(socket);
      if (set.size === 0 && this.byLearner.get(learnerId) === set) this.byLearner.delete(learnerId);
    };
  }

  connectedLearners(): string[] {
    return [...this.byLearner.keys()];
  }

  /** Sends the tip to every open socket of these learners; returns the learners it reached. */
  push(learnerIds: Iterable<string>, tip: TipView): string[] {
    const frame = JSON.stringify({ type: 'tip', tip });
    const reached: string[] = [];
    for (const id of learnerIds) {
      let sent = false;
      for (const socket of this.byLearner.get(id) ?? []) {
        if (socket.readyState === socket.OPEN) {
          socket.send(frame);
          sent = true;
        }
      }
      if (sent) reached.push(id);
    }
    return reached;
  }
}
