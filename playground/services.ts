/** Grafana's runtime services, as far as a panel uses them, backed by the playground data source. */
import { DataSourceApi, DataSourceInstanceSettings, DataSourceRef, TimeRange, TypedVariableModel } from '@grafana/data';
import { DataSourceSrv, locationService, TemplateSrv } from '@grafana/runtime';

import { FixtureDataSource } from './fixtureDataSource';

function uidOf(ref?: DataSourceRef | string | null): string | undefined {
  return typeof ref === 'string' ? ref : (ref?.uid ?? undefined);
}

export class PlaygroundDataSourceSrv implements DataSourceSrv {
  constructor(private ds: FixtureDataSource) {}

  async get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const uid = uidOf(ref);
    if (uid && uid !== this.ds.uid && uid !== this.ds.name) {
      throw new Error(`Data source ${uid} was not found`);
    }
    return this.ds as unknown as DataSourceApi;
  }

  getList(): DataSourceInstanceSettings[] {
    return [this.ds.settings];
  }

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    const uid = uidOf(ref);
    return !uid || uid === this.ds.uid ? this.ds.settings : undefined;
  }

  reload() {}

  registerRuntimeDataSource() {
    throw new Error('The playground has no runtime data sources');
  }
}

/**
 * A dashboard with one custom variable, `service`, whose current value lives in the URL. Opened files
 * are not a dashboard of services: then there is no variable and the panel filters by itself.
 */
export class PlaygroundTemplateSrv implements TemplateSrv {
  constructor(
    private ds: FixtureDataSource,
    private hasServiceVariable: boolean
  ) {}

  private current(): string {
    const value = locationService.getSearchObject()['var-service'];
    return value === undefined ? this.ds.services()[0] : String(value);
  }

  getVariables(): TypedVariableModel[] {
    if (!this.hasServiceVariable) {
      return [];
    }
    const current = this.current();
    const options = [{ text: 'All', value: '$__all', selected: current === '$__all' }].concat(
      this.ds.services().map((s) => ({ text: s, value: s, selected: s === current }))
    );
    return [
      {
        type: 'custom',
        name: 'service',
        label: 'service',
        id: 'service',
        query: this.ds.services().join(','),
        current: { text: current === '$__all' ? 'All' : current, value: current, selected: true },
        options,
        includeAll: true,
        multi: false,
      } as unknown as TypedVariableModel,
    ];
  }

  replace(target?: string): string {
    const current = this.current();
    return (target ?? '').replace(/\$\{service(?::[a-z]+)?\}|\$service\b/g, current === '$__all' ? '.+' : current);
  }

  containsTemplate(target?: string): boolean {
    return /\$\{?service\b/.test(target ?? '');
  }

  updateTimeRange(_timeRange: TimeRange) {}
}
