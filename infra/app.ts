#!/usr/bin/env node
import { buildApp } from './app-factory.ts';

buildApp().app.synth();
