/** One tab over a list, and what `change` carries: the key of the tab tapped. */
export interface TabOption {
  key: string;
  label: string;
}

export interface ChangeDetail {
  value: string;
}
