/** What `change` carries: the service (十送) tapped. */
import type { Category } from '../../contract/domain';

export interface ChangeDetail {
  value: Category;
}
