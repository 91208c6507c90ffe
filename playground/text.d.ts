/** YAML files imported by the playground are bundled as their text (esbuild's text loader). */
declare module '*.yml' {
  const text: string;
  export default text;
}
