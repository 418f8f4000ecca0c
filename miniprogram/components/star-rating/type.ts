/** What `change` carries: the stars tapped, 1 to 5. */
export interface ChangeDetail {
  value: number;
}
