/** What `change` carries: the local temporary paths now chosen, in order. */
export interface ChangeDetail {
  paths: string[];
}
