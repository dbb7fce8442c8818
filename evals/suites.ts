// Named suites: lists of eval ids (every variant of each).

export const suites: Record<string, string[]> = {
  /** The nine instruction-hierarchy rows of the o3-mini system card, tables 5–7, plus tool-format. */
  'o3-mini-system-card': [
    'ih-developer-user-conflict',
    'ih-system-developer-conflict',
    'ih-system-user-conflict',
    'ih-tutor-jailbreak',
    'ih-phrase-protection',
    'ih-password-protection',
    'tool-format',
  ],
};
