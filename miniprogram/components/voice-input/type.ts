/** The `text` event of voice-input: what the villager said, as words, to be added to the field. */
export interface TextDetail {
  text: string;
}
