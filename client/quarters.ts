/** Calendar quarters as the page names them: the contract's one quarter module, shared with the server. */
export {
  quarterEnding,
  quarterLabel,
  quartersBetween,
  quartersInside,
  type Quarter,
} from '../metrics/contract/quarters.ts';
