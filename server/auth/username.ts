/** Lower-case login names: 3-32 letters, digits, '.', '_' or '-', starting with a letter or digit. Same rule as the config's seed users. */
export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,31}$/;
