/** What `answer` carries: whether the villager agreed to the privacy guide. */
export interface AnswerDetail {
  agreed: boolean;
}
