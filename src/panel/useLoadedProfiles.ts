import { useEffect, useState } from 'react';

import { ProfileInput } from '../sources/frames';
import { LoadedProfiles, loadProfiles } from './profileInputs';

const NOTHING_LOADED: LoadedProfiles = { loaded: [], errors: [], sampleTypes: [], defaultSampleType: '' };

/**
 * The profiles of the current inputs, loaded in the background. While new inputs load, the previous
 * ones stay in view (a dashboard refresh does not blank the flame graph); `loading` says so.
 */
export function useLoadedProfiles(inputs: ProfileInput[]): { profiles: LoadedProfiles; loading: boolean } {
  const [state, setState] = useState<{ inputs: ProfileInput[]; profiles: LoadedProfiles } | null>(null);
  useEffect(() => {
    let current = true;
    // loadProfiles reports every failure in its result, so it never rejects.
    loadProfiles(inputs).then((profiles) => current && setState({ inputs, profiles }));
    return () => {
      current = false;
    };
  }, [inputs]);
  return { profiles: state?.profiles ?? NOTHING_LOADED, loading: state?.inputs !== inputs };
}
