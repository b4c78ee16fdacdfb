import type { LessonRef } from '../lessons/schema.js';

export type ReplyKind = 'answer' | 'clarify' | 'out_of_scope' | 'safety';

export interface Choice {
  /** What the button says. */
  label: string;
  /** What is sent as the next message when it is tapped. */
  message: string;
}

/** Every reply of the assistant, over HTTP, WebSocket and the CLI alike. */
export interface ChatReply {
  kind: ReplyKind;
  /** Plain Vietnamese text; steps as numbered lines. Never contains a secret the citizen typed. */
  answer: string;
  /** Cited lessons, most relevant first. */
  lessons: LessonRef[];
  /** The lesson to learn next: for a signed-in learner, their personalised recommendation with its reason. */
  next?: { id: string; title: string; reason?: string };
  /** For a signed-in learner: a prerequisite of the answering lesson they have not learned yet, offered first. */
  prerequisite?: { id: string; title: string; text: string };
  /** For clarify: what the citizen can tap. */
  choices?: Choice[];
  /** True when a language model wrote the text from the cited lessons (checked); absent for extractive answers. */
  generated?: boolean;
}
