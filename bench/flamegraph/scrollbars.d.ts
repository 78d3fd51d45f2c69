/** The CommonJS entry scrollbarsShim.ts re-exports (typed by the package only as its main). */
declare module 'react-custom-scrollbars-2/lib/index.js' {
  import Scrollbars from 'react-custom-scrollbars-2';
  export default Scrollbars;
}
